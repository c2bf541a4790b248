from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_corrections')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Board',
            name='archived',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Contest',
            name='archived',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
