"""The venue: HTTPS on the venue's network, the certificate tablets trust, links that work there."""
