from django.urls import path

from . import views

urlpatterns = [
    path("", views.ReviewQueueView.as_view(), name="index"),
    path("results/", views.ReviewQueueView.as_view(results_only=True), name="index_results"),
    path("<int:page_id>/", views.ReviewView.as_view(), name="review"),
]
