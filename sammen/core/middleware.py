from django.conf import settings
from django.shortcuts import render
from django.utils import translation


class NoStoreMiddleware:
    """Pages with personal data must not be kept in browser or proxy caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


class RequestSizeMiddleware:
    """A request body larger than Django reads into memory gets a Norwegian 413 page.

    Django would refuse it later, while reading the form, with a 400 ("RequestDataTooBig"). Told
    here, before anything reads the body, the user learns what happened and how to get the
    typed text back (the browser's back button keeps it in the form).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return self.get_response(request)


class UserLanguageMiddleware:
    """The page's language: the signed-in person's choice, else the language cookie (the sign-in
    page), else Norwegian bokmål. The browser's Accept-Language is not asked: a municipal PC
    with an English browser still gets Sammen in bokmål until its user chooses otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def chosen_language(request) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in available:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in available else settings.LANGUAGE_CODE
