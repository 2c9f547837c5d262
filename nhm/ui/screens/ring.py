from nhm.ui.views import ring

ring.render()
