"""Arena contests (擂台赛): the catalogue, the host's flow, the views and admin."""
