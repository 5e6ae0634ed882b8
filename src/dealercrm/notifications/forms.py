"""Forms of the notification pages: a channel, the deliveries' filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.customers.forms import StyledFormMixin
from dealercrm.notifications.choices import ChannelKind, DeliveryStatus
from dealercrm.notifications.models import Channel


class ChannelForm(StyledFormMixin, forms.Form):
    """Add or change a channel. The stored webhook address and secret are never put back in
    the form: empty means "keep"."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "url", "spellcheck": "false"}
        ),
        help_text=_(
            "The group robot's address, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk, optional)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    enabled = forms.BooleanField(label=_("On"), required=False, initial=True)

    def __init__(self, *args: Any, channel: Channel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel is not None:
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = channel.kind
            self.fields["name"].initial = channel.name
            self.fields["enabled"].initial = channel.enabled
            keep = _("empty: keep the stored one")
            self.fields["webhook_url"].widget.attrs["placeholder"] = keep
            self.fields["secret"].widget.attrs["placeholder"] = keep
        else:
            del self.fields["clear_secret"]
        self.style_widgets()


class DeliveryFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *DeliveryStatus.choices]
        self.style_widgets()

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return getattr(self, "cleaned_data", {})
