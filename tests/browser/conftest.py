import os

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls the
# tests make for set-up are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
