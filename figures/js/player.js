/* Gradient Valley player: plays a path over a surface, client-side. The public entry point,
 * loaded last of the player's files (figures/scripts.py lists them in order: common.js,
 * player_core.js, player_frame.js, player_preview.js, player.js), so window.GVPlayer existing
 * means the whole player is there.
 *
 * Used by the Streamlit component (ui/valley_component) and by the standalone HTML export
 * (figures/export.py): window.GVPlayer.render(root, scene, hooks).
 */
(function () {
  "use strict";
  if (window.GVPlayer) return;
  var GV = window.GV;

  function playerOf(root, hooks) {
    var p = root.__gvPlayer;
    if (!p) p = root.__gvPlayer = new GV.Player(root, hooks);
    return p;
  }

  window.GVPlayer = {
    /* Render (or update) the player inside root; returns the Player. */
    render: function (root, scene, hooks) {
      var p = playerOf(root, hooks);
      p.hooks = hooks || p.hooks;
      p.setScene(scene);
      return p;
    },
    /* Draw a static preview of the map while plotly.js loads (no-op once rendered). */
    preview: function (root, scene, hooks) {
      var p = playerOf(root, hooks);
      p.preview(scene);
      return p;
    },
    decode: GV.decode,
  };
})();
