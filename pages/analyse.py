from coaching.ui.screens.analyse import render

render()
