from django.apps import AppConfig


class TrainingConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "training"
    verbose_name = "Training sessions"

    def ready(self) -> None:
        from peertrain.audit.events import subscribe
        from peertrain.core.ports import provide

        from .handlers import feedback_request
        from .selectors import teaching_invitations_of, upcoming_sessions_by_skill
        from .selectors_demand import learning_offers
        from .selectors_records import attended_and_taught_of, sessions_run_by

        # Answers to lower apps' questions (query ports, docs/events.md).
        provide("programmes.sessions_teaching", upcoming_sessions_by_skill)
        provide("trainers.invitations_to_teach", teaching_invitations_of)
        provide("programmes.learning_offers", learning_offers)
        provide("trainers.session_records", attended_and_taught_of)
        provide("trainers.sessions_run", sessions_run_by)
        # Reactions to events (moves to the feedback app when it exists).
        subscribe("training.session.completed", feedback_request)
