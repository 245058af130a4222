from coaching.ui.screens.review import render

render()
