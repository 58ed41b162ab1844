"""Login, logout, password change and server-side sessions that can be revoked."""
