from nhm.ui.views import benchmark

benchmark.render()
