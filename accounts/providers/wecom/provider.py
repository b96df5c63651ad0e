from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import WeComOAuth2Adapter


class WeComAccount(ProviderAccount):
    def to_str(self):
        return self.account.extra_data.get("userid") or super().to_str()


class WeComProvider(OAuth2Provider):
    id = "wecom"
    name = "WeCom"
    account_class = WeComAccount
    oauth2_adapter_class = WeComOAuth2Adapter
    # The userid (账号) is set by the organisation's WeCom administrator, and organisations set
    # it to the employee number; an app's settings may name another field ("employee_number_claim").
    employee_number_claim = "userid"

    def extract_uid(self, data):
        # A member has a userid, unique in the organisation; someone outside it only an openid,
        # which can never name a person here.
        if data.get("userid"):
            return str(data["userid"])
        return f"openid:{data['openid']}"

    def extract_common_fields(self, data):
        return {"username": data.get("userid")}


provider_classes = [WeComProvider]
