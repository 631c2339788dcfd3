from django.apps import AppConfig


class TrainingConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "training"
    verbose_name = "Training sessions"

    def ready(self) -> None:
        from programmes.recommendations import register_session_finder

        from .selectors import upcoming_sessions_by_skill

        register_session_finder(upcoming_sessions_by_skill)
