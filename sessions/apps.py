from django.apps import AppConfig


class TrainingConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "training"
    verbose_name = "Training sessions"

    def ready(self) -> None:
        from programmes.recommendations import register_session_finder
        from trainers.invitations import register_invitation_finder

        from .selectors import teaching_invitations_of, upcoming_sessions_by_skill

        register_session_finder(upcoming_sessions_by_skill)
        register_invitation_finder(teaching_invitations_of)
