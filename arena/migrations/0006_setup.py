from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_accounts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Judge',
            name='unit',
            field=fields.CharField(default='', db_default='', max_length=100),
        ),
        ops.AddField(
            model_name='Round',
            name='archived',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Round',
            name='setup',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
