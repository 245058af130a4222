from coaching.ui.screens.wellbeing import render

render()
