"""The Streamlit app. Only this package and the root ``app.py`` import Streamlit."""
