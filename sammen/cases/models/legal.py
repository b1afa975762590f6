from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalReference(models.Model):
    """A provision of law the system relies on, kept as data so it can follow the law.

    Example: key "placement.care_order", act "barnevernsloven (2021)", provision "§ 5-1".
    Code looks references up by `key`; administrators edit the rest in the admin.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    act = models.CharField(_("act"), max_length=120)
    provision = models.CharField(_("provision"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("legal reference")
        verbose_name_plural = _("legal references")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.act} {self.provision}"
