from nhm.ui.views import admin

admin.render()
