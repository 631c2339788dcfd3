from django.db import migrations


class Migration(migrations.Migration):
    """The plain list of co-trainers is gone; ``CoTrainer`` (0004) holds them with a state."""

    dependencies = [("training", "0004_cotrainer")]

    operations = [migrations.RemoveField(model_name="trainingsession", name="co_trainers")]
