from nhm.ui.views import plugins

plugins.render()
