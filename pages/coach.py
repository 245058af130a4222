from coaching.ui.screens.coach import render

render()
