from coaching.app.screens.coach import render

render()
