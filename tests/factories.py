"""factory-boy factories shared by every test folder."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from peertrain.accounts.models import Team, User
from programmes.models import Skill
from trainers.models import Certification, TrainerProfile

TEST_PASSWORD = "correct horse battery staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    job_title = factory.Faker("job")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda skill: slugify(skill.name))
    category = "General"


class TrainerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerProfile

    user = factory.SubFactory(UserFactory)
    status = TrainerProfile.Status.CERTIFIED


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    trainer = factory.SubFactory(TrainerProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    issued_at = factory.LazyFunction(timezone.now)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme; pass ``skills=[…]`` and ``audience_teams=[…]`` to fill its lists."""

    class Meta:
        model = "programmes.Programme"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Programme {n}")
    goals = "Everyone can handle the basics on their own."
    owner = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    status = "active"

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def audience_teams(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audience_teams.set(extracted)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A published session next week with a few seats, taught by a certified trainer."""

    class Meta:
        model = "training.TrainingSession"

    skill = factory.SubFactory(SkillFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    lead_trainer = factory.LazyAttribute(
        lambda session: CertificationFactory(skill=session.skill).trainer.user
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=1))
    location = "Room 3"
    capacity = 3
    status = "published"


def co_trainer(session, user=None, *, accept: bool = True):
    """``user`` (a new person if None) co-teaching ``session``: certified in its skill if
    they weren't, invited by its lead and, unless ``accept`` is False, accepted, all
    through the services (so their rules hold)."""
    from sessions.models import CoTrainer
    from sessions.services.co_trainers import co_trainer_accept, co_trainers_invite
    from trainers.selectors import who_may_co_teach

    user = user or UserFactory()
    if user.pk not in who_may_co_teach(skill=session.skill, user_ids=[user.pk]):
        profile = TrainerProfile.objects.filter(user=user).first() or TrainerProfileFactory(
            user=user
        )
        CertificationFactory(trainer=profile, skill=session.skill)
    co_trainers_invite(session=session, people=[user], by=session.lead_trainer)
    invitation = CoTrainer.objects.get(session=session, user=user)
    if accept:
        co_trainer_accept(invitation=invitation, user=user)
        invitation.refresh_from_db()
    return invitation
