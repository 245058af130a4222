from coaching.app.screens.calibration import render

render()
