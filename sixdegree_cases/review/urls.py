from django.urls import path

from . import alert_views, views

urlpatterns = [
    path("", views.ReviewQueueView.as_view(), name="index"),
    path("results/", views.ReviewQueueView.as_view(results_only=True), name="index_results"),
    path("<int:page_id>/", views.ReviewView.as_view(), name="review"),
    path("alerts/<int:alert_id>/unpublish/", alert_views.unpublish_alerted_case, name="alert_unpublish"),
]
