from nhm.ui.views import results

results.render()
