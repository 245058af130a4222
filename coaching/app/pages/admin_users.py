from coaching.app.screens.admin import render

render()
