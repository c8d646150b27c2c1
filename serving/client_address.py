"""The address of the client that sent a request, as far as this deployment can know it.

It depends on how many reverse proxies stand in front of the application, a fact of the
deployment (like SECURE_PROXY_SSL_HEADER), hence its place beside the settings. Headers
anyone can send are believed only as far as a trusted proxy wrote them: each proxy appends
the address it received the request from to X-Forwarded-For, so with N trusted proxies the
Nth address from the right is the client's, and anything to its left may be forged.
X-Real-IP is never read: it cannot be told apart from a forged one.

Used by the login lockout (AXES_CLIENT_IP_CALLABLE) and the contact form's rate limit.
"""

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # Fewer hops than trusted proxies: the request came round them; trust the socket.
        return remote
    return forwarded[-count]
