from coaching.app.screens.analyse import render

render()
