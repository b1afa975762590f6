from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def floor(request):
    """The signed-in base layout with no case data: the benchmark's floor."""
    return render(request, "core/floor.html")
