"""The app's views; each module's ``render()`` draws one page."""
