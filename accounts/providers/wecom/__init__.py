"""
WeCom (企业微信) web sign-in: a member of the brand's WeCom organisation scans a QR code with the
WeCom app, and the site learns their WeCom userid. allauth ships no WeCom provider; this one
follows the shape of its DingTalk and Feishu providers.
"""
