"""nhm's Streamlit app: ``streamlit run app.py`` (or ``nhm serve`` / ``nhm demo``)."""

from nhm.ui.app import main

main()
