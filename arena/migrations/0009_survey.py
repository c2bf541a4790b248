from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_archive')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SurveyCard',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='survey_cards', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='survey_cards', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('batch', fields.IntField()),
                ('qr_hash', fields.CharField(unique=True, max_length=64)),
                ('code_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'surveycard', 'app': 'models', 'unique_together': (('village', 'number'),), 'pk_attr': 'id', 'table_description': 'A printed card (one per household): a QR-link secret and a typed code, used once.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='survey_answers', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='survey_answers', on_delete=OnDelete.CASCADE)),
                ('card', fields.OneToOneField('models.SurveyCard', source_field='card_id', db_constraint=True, to_field='id', related_name='answer', on_delete=OnDelete.CASCADE)),
                ('answers', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('free_text', fields.TextField(default='', unique=False)),
                ('key', fields.CharField(max_length=64)),
                ('via', fields.CharField(max_length=8)),
                ('addr_hash', fields.CharField(default='', max_length=32)),
                ('device_hash', fields.CharField(default='', max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('voided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('voided_by', fields.CharField(default='', max_length=100)),
                ('void_reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'surveyanswer', 'app': 'models', 'indexes': [Index(fields=['round_id', 'village_id'])], 'pk_attr': 'id', 'table_description': "One card's answers: the label chosen for each question, and the optional free text."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyClosure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('village', fields.OneToOneField('models.Village', source_field='village_id', db_constraint=True, to_field='id', related_name='survey_closure', on_delete=OnDelete.CASCADE)),
                ('closed_by', fields.CharField(max_length=100)),
                ('closed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'surveyclosure', 'app': 'models', 'pk_attr': 'id', 'table_description': "A village's survey closed by the organiser: its satisfaction score is final."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyGuess',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('addr_hash', fields.CharField(max_length=32)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'surveyguess', 'app': 'models', 'indexes': [Index(fields=['addr_hash', 'at'])], 'pk_attr': 'id', 'table_description': 'A typed code that matched no card: the rate limit counts these per address digest.'},
            bases=['Model'],
        ),
    ]

