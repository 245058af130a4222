from coaching.app.screens.feedback import render

render()
