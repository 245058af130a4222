from coaching.app.screens.review import render

render()
