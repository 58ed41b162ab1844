"""The app gunicorn serves in load tests: the production app, less two things a script cannot do.

Simulated supervisors carry no phone for a second factor, and the test talks plain HTTP on loopback, where
a browser would not send a `Secure` cookie. Everything else (configuration checks, key ring, database,
access policy, audit) is the production app's.
"""

from caseapp import create_app

app = create_app(TOTP_REQUIRED_ROLES=(), SESSION_COOKIE_SECURE=False)
