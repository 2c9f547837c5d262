from nhm.ui.views import start

start.render()
