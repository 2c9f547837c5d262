from nhm.ui.views import assessment

assessment.render()
