from coaching.app.screens.team_view import render

render()
