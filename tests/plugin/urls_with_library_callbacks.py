"""The site's URLs with django-payments' own callback URLs in place of the plugin's, as a host
following the library's README might mount them."""

from django.urls import include, path

from sixdegree_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("payments/", include("payments.urls")), *site_urlpatterns]
