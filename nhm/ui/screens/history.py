from nhm.ui.views import history

history.render()
