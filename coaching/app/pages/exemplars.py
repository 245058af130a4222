from coaching.app.screens.exemplars import render

render()
