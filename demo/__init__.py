"""The bundled demo news site and its server (see demo/server.py)."""
