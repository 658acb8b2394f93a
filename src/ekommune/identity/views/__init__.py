"""Identity's pages: ``login`` (choose a provider, start, come back), ``logout`` (here, at the
provider, front-channel), ``citizen`` (whom to act for) and ``staff`` (single sign-on for staff).

Thin: the relying party (``oidc``) checks the provider's answer, the services log people in.
A failed login renders ``identity/login_error.html`` with the error's 4xx status; nobody is
logged in by it. Every page exists only inside a municipality's site (``core.http``).
"""
