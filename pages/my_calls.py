from coaching.ui.screens.my_calls import render

render()
