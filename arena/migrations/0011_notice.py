from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_draws')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.OneToOneField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='notice', on_delete=OnDelete.CASCADE)),
                ('organ', fields.CharField(max_length=60)),
                ('number', fields.CharField(max_length=40)),
                ('addressees', fields.CharField(max_length=300)),
                ('signed_on', fields.DateField()),
                ('updated_by', fields.CharField(max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notice', 'app': 'models', 'pk_attr': 'id', 'table_description': "A round's results notice (通报) as an official document: organ, number, addressees, date."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contest',
            name='seed_source',
            field=fields.CharField(default='', db_default='', max_length=8),
        ),
    ]
