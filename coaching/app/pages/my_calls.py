from coaching.app.screens.my_calls import render

render()
