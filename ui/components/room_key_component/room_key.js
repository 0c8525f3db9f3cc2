// The instructor's hold on their room, in this browser's localStorage (never in a URL or a
// page a student sees), so a restarted server process does not cost them the class.
// data.mode: "keep" writes data.room ([code, secret]); "forget" removes it; "ask" sends what
// is stored to Python, once per stored value.
export default function (component) {
  const { data, setStateValue } = component;
  if (!data || !data.key) return;
  try {
    if (data.mode === "keep" && Array.isArray(data.room)) {
      window.localStorage.setItem(data.key, JSON.stringify(data.room));
    } else if (data.mode === "forget") {
      window.localStorage.removeItem(data.key);
    } else if (data.mode === "ask") {
      const text = window.localStorage.getItem(data.key);
      if (text && text !== window.__gvRoomSent) {
        window.__gvRoomSent = text;
        setStateValue("stored", JSON.parse(text));
      }
    }
  } catch (e) {
    /* localStorage unavailable (private mode): the room lasts as long as this session */
  }
}
