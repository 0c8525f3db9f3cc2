"""The page's own components (streamlit.components.v2, JavaScript in files): the valley
player, the race player, and the lessons' progress sync with the browser's storage."""
