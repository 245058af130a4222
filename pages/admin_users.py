from coaching.ui.screens.admin import render

render()
