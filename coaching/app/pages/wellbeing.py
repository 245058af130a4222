from coaching.app.screens.wellbeing import render

render()
