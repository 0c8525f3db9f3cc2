"""Live class: an instructor's room where the whole class predicts, then the valley answers.

Pure Python + SQLAlchemy, no Streamlit: `store.ClassStore` keeps rooms, questions, rounds and
votes in SQLite (the data folder, WAL mode) or PostgreSQL (``GV_DATABASE_URL``); `questions`
builds a question from a lesson or from an experiment, its right answer computed by the engine.
See docs/CLASSROOM.md.
"""
